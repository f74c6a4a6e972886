package com.warehouseexport.localruntime;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localruntime.apigateway.AccessLogs;
import com.warehouseexport.localruntime.apigateway.ApiRoute;
import com.warehouseexport.localruntime.apigateway.LocalApiGateway;
import com.warehouseexport.localruntime.apigateway.Principals;
import com.warehouseexport.localruntime.apigateway.RouteTable;
import com.warehouseexport.localruntime.apigateway.SigV4Verifier;
import com.warehouseexport.localruntime.apigateway.UsagePlans;
import com.warehouseexport.localruntime.eventbridge.EventBridgeRules;
import com.warehouseexport.localruntime.lambda.LambdaFunction;
import com.warehouseexport.localruntime.outbox.OutboxSource;
import com.warehouseexport.localruntime.schedule.ScheduledRules;
import com.warehouseexport.localruntime.sqs.SqsEventSource;
import com.warehouseexport.localruntime.template.SamTemplate;
import com.warehouseexport.localruntime.template.TemplateOptions;
import com.warehouseexport.localruntime.template.TemplateReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The template running on one machine against local AWS: reads the template, creates its tables, queues and
 * buckets, starts every function in its own class loader, and connects the event sources the template declares
 * (API routes, SQS mappings, schedules, EventBridge rules).
 */
public final class LocalRuntime implements AutoCloseable {
    /** What to run and how, from the command line. */
    public record Settings(Path template, String stackName, int port, Map<String, String> parameterOverrides,
                           Duration pollEvery, Principals principals, Path datasetsFile) {
    }

    private final SamTemplate template;
    private final List<String> warnings;
    private final Map<String, LambdaFunction> functions;
    private final LocalApiGateway gateway;
    private final RouteTable routes;
    private final List<SqsEventSource> sqsSources;
    private final ScheduledRules schedules;
    private final EventBridgeRules rules;
    private final List<String> eventSourceSummary;
    private final AccessLogs accessLogs;

    private LocalRuntime(SamTemplate template, List<String> warnings, Map<String, LambdaFunction> functions,
                         LocalApiGateway gateway, RouteTable routes, List<SqsEventSource> sqsSources,
                         ScheduledRules schedules, EventBridgeRules rules, List<String> eventSourceSummary,
                         AccessLogs accessLogs) {
        this.template = template;
        this.warnings = warnings;
        this.functions = functions;
        this.gateway = gateway;
        this.routes = routes;
        this.sqsSources = sqsSources;
        this.schedules = schedules;
        this.rules = rules;
        this.eventSourceSummary = eventSourceSummary;
        this.accessLogs = accessLogs;
    }

    /** Reads the template with local physical names (queue URLs on the local SQS, API URLs on apiEndpoint). */
    public static TemplateReader.Result readTemplate(Settings settings, LocalAws aws, URI apiEndpoint) {
        URI sqs = aws.endpoints().sqs();
        TemplateOptions options = new TemplateOptions(settings.stackName(), aws.region(), aws.accountId(),
            settings.parameterOverrides(), name -> sqs + "/" + aws.accountId() + "/" + name, apiEndpoint);
        TemplateReader reader = new TemplateReader();
        SamTemplate template = reader.read(settings.template(), options);
        return new TemplateReader.Result(template, reader.warnings());
    }

    public static LocalRuntime start(Settings settings, LocalAws aws, OutboxSource outbox, PrintStream log) {
        // the functions' SDK clients use the default credentials chain: system properties come first in it
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);

        // bound first: the template's API URLs (e.g. a function's PUBLIC_API_URL) become this local address
        LocalApiGateway gateway = bindGateway(settings, aws.region(), outbox, log);
        Map<String, LambdaFunction> functions = new LinkedHashMap<>();
        List<AutoCloseable> started = new ArrayList<>();
        started.add(gateway);
        try {
            TemplateReader.Result read = readTemplate(settings, aws, gateway.endpoint());
            SamTemplate template = read.template();
            checkEventSourceMappings(template);

            new ResourceProvisioner(aws.clients().dynamoDb(), aws.clients().sqs(), aws.clients().s3(), log)
                .provision(template);
            ResourceProvisioner.provisionSecrets(template, aws.clients().secretsManager(), log);
            ResourceProvisioner.verifySenders(template, aws.clients().ses(), log);

            Map<String, String> runtimeEnvironment = new LinkedHashMap<>(aws.endpoints().asEnvironment());
            runtimeEnvironment.put("AWS_REGION", aws.region());
            runtimeEnvironment.put("AWS_DEFAULT_REGION", aws.region());
            if (settings.datasetsFile() != null) {
                runtimeEnvironment.put("DATASET_CATALOG_FILE", settings.datasetsFile().toAbsolutePath().toString());
            }

            for (SamTemplate.Function definition : template.functions()) {
                LambdaFunction function = new LambdaFunction(definition, runtimeEnvironment, log);
                functions.put(definition.logicalId(), function);
                started.add(function);
            }
            RouteTable routes = RouteTable.fromTemplate(template, functions);
            // access log lines go beside local AWS's data (and to the console), as on AWS to the stage's log group
            AccessLogs accessLogs = new AccessLogs(aws.dataDir() == null ? null : aws.dataDir().resolve("logs"), log);
            gateway.startServing(routes, UsagePlans.of(template), accessLogs);

            List<String> summary = new ArrayList<>();
            List<SqsEventSource> sqsSources = new ArrayList<>();
            ScheduledRules schedules = new ScheduledRules(Clock.systemUTC(), settings.pollEvery(), aws.region(),
                aws.accountId(), log);
            started.add(schedules);
            EventBridgeRules rules = new EventBridgeRules(aws.eventBus(), log);
            started.add(rules);
            for (SamTemplate.Function definition : template.functions()) {
                LambdaFunction function = functions.get(definition.logicalId());
                for (SamTemplate.Event event : definition.events()) {
                    String name = definition.logicalId() + "." + event.name();
                    if (event instanceof SamTemplate.SqsEvent sqsEvent) {
                        if (!sqsEvent.enabled()) {
                            summary.add(name + ": SQS mapping disabled");
                            continue;
                        }
                        SamTemplate.Queue queue = template.queueByArn(sqsEvent.queueArn()).orElseThrow();
                        // batches in flight: ScalingConfig.MaximumConcurrency, never more than the function runs
                        int pollers = Math.min(function.concurrencyLimit(), sqsEvent.maximumConcurrency() == null
                            ? Integer.MAX_VALUE : sqsEvent.maximumConcurrency());
                        SqsEventSource source = new SqsEventSource(name, sqsEvent, queue, function,
                            aws.clients().sqs(), aws.region(), pollers, log);
                        sqsSources.add(source);
                        started.add(source);
                        source.start();
                        summary.add(name + ": SQS " + queue.queueName() + " (batch " + sqsEvent.batchSize()
                            + ", window " + sqsEvent.maximumBatchingWindowSeconds() + " s"
                            + (sqsEvent.reportBatchItemFailures() ? ", ReportBatchItemFailures" : "") + ")");
                    } else if (event instanceof SamTemplate.ScheduleEvent schedule) {
                        summary.add(name + ": schedule " + schedules.add(schedule, function));
                    } else if (event instanceof SamTemplate.EventBridgeRuleEvent rule) {
                        boolean active = rules.add(rule, function);
                        summary.add(name + ": EventBridge rule " + rule.pattern() + (active ? "" : " (inactive)"));
                    }
                }
            }
            return new LocalRuntime(template, read.warnings(), Collections.unmodifiableMap(functions), gateway,
                routes, sqsSources, schedules, rules, summary, accessLogs);
        } catch (RuntimeException e) {
            Collections.reverse(started);
            for (AutoCloseable closeable : started) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // already failing
                }
            }
            throw e;
        }
    }

    private static LocalApiGateway bindGateway(Settings settings, String region, OutboxSource outbox,
                                               PrintStream log) {
        try {
            return LocalApiGateway.bind(settings.port(),
                new SigV4Verifier(settings.principals(), region, Clock.systemUTC()), outbox, Clock.systemUTC(), log);
        } catch (BindException e) {
            throw new IllegalStateException("port " + settings.port() + " is in use; choose another with --port", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lambda refuses an SQS mapping whose queue's visibility timeout is shorter than the function's timeout. */
    static void checkEventSourceMappings(SamTemplate template) {
        for (SamTemplate.Function function : template.functions()) {
            for (SamTemplate.Event event : function.events()) {
                if (event instanceof SamTemplate.SqsEvent sqs) {
                    SamTemplate.Queue queue = template.queueByArn(sqs.queueArn()).orElseThrow(() ->
                        new IllegalStateException(function.logicalId() + "." + event.name() + ": queue "
                            + sqs.queueArn() + " is not a queue of this template"));
                    if (queue.visibilityTimeoutSeconds() < function.timeoutSeconds()) {
                        throw new IllegalStateException("Invalid request provided: Queue visibility timeout: "
                            + queue.visibilityTimeoutSeconds() + " seconds is less than Function timeout: "
                            + function.timeoutSeconds() + " seconds");
                    }
                }
            }
        }
    }

    public SamTemplate template() {
        return template;
    }

    public List<String> warnings() {
        return warnings;
    }

    public Map<String, LambdaFunction> functions() {
        return functions;
    }

    public URI apiEndpoint() {
        return gateway.endpoint();
    }

    /** The API routes, with whether AWS_IAM protects them. */
    public List<ApiRoute> routes() {
        return routes.routes();
    }

    /** Where the API's access log lines are written, or null (no AccessLogSetting, or local AWS in memory). */
    public Path accessLogFile(SamTemplate.Api api) {
        return api.settings().accessLog() == null ? null : accessLogs.file(api);
    }

    public List<String> eventSourceSummary() {
        return eventSourceSummary;
    }

    /** Stops the event sources first (no new work), then the gateway, then the functions. */
    @Override
    public void close() {
        rules.close();
        schedules.close();
        sqsSources.forEach(SqsEventSource::close);
        gateway.close();
        functions.values().forEach(LambdaFunction::close);
    }
}
