package com.warehouseexport.cli;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

/** {@code java -jar warehouse-export-cli.jar <command> ...}: the partners' command line for the export API. */
public final class WarehouseExportCli {
    static final String USAGE = """
        usage: warehouse-export [--endpoint URL] [--region R] [--profile P] [--json] <command> ...

          datasets                           what can be exported, and each dataset's parameters
          submit DATASET [--param k=v]... [--format csv|parquet] [--wait | --download [download options]]
                                             request an export; prints the request id
          status ID [--history]              the latest state, or every state change
          wait ID [--timeout 30m]            poll (with backoff) until the export is final
          download ID [--output FILE|DIR] [--unzip | --unzip-to DIR]
                                             wait if needed, then fetch the archive and check its size
          cancel ID                          ask the API to cancel the export (DELETE /exports/ID)

        Endpoint: --endpoint or WAREHOUSE_EXPORT_ENDPOINT (e.g. https://abc123.execute-api.us-east-1.amazonaws.com/v1).
        Credentials: the AWS SDK's usual sources (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile,
        ~/.aws/credentials, SSO, container and instance roles). Region: --region, AWS_REGION, else us-east-1.
        Exit codes: 0 ok, 1 usage, 2 API refused (4xx), 3 server or network error, 4 export FAILED or CANCELLED.
        """;

    private WarehouseExportCli() {
    }

    public static void main(String[] argv) {
        int code = run(List.of(argv), System.getenv(), System.out, System.err, System.console() != null);
        System.exit(code);
    }

    /** Runs one command; returns the exit code. Never exits the JVM (tests call this). */
    public static int run(List<String> argv, Map<String, String> environment, PrintStream out, PrintStream err,
                          boolean terminal) {
        CliArguments args;
        try {
            args = CliArguments.parse(argv, environment);
        } catch (CliException e) {
            err.println("warehouse-export: " + e.getMessage());
            err.println("run with --help for usage");
            return e.exitCode().code();
        }
        if (args.command().equals("help")) {
            out.print(USAGE);
            return ExitCode.OK.code();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
        AwsCredentialsProvider credentials = args.profile() != null
            ? ProfileCredentialsProvider.create(args.profile()) : DefaultCredentialsProvider.builder().build();
        Progress progress = new Progress(err, terminal);
        ApiClient api = new ApiClient(args.endpoint(), args.region(), credentials, http);
        Commands commands = new Commands(args, api, new Downloader(http, progress), progress, out,
            duration -> Thread.sleep(duration.toMillis()));
        try {
            ExitCode code = commands.run();
            if (code == ExitCode.EXPORT_FAILED) {
                err.println("warehouse-export: the export did not succeed");
            }
            return code.code();
        } catch (CliException e) {
            progress.finish();
            err.println("warehouse-export: " + e.getMessage());
            return e.exitCode().code();
        }
    }
}
