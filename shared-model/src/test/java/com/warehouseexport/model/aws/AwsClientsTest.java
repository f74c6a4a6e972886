package com.warehouseexport.model.aws;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.LocalAwsEndpoints;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.config.ConfigException;
import com.warehouseexport.model.config.Env;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.File;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client factory against the emulators, using only what a function has: Env and the default chain. */
@LocalAwsTest
class AwsClientsTest {

    @BeforeAll
    static void credentialsForTheDefaultChain() {
        // The default chain reads these system properties first; on Lambda it finds the function's role.
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);
    }

    @AfterEach
    void resetEnv() {
        Env.useForThisClassLoader(null);
    }

    @Test
    void clientsUseTheEndpointOverridesAndS3IsPathStyle(LocalAwsEndpoints endpoints) throws Exception {
        Env.useForThisClassLoader(environment(endpoints));
        try (DynamoDbClient dynamo = AwsClients.newDynamoDbClient();
             S3Client s3 = AwsClients.newS3Client();
             S3Presigner presigner = AwsClients.newS3Presigner()) {
            dynamo.listTables();
            String bucket = "clients-" + UUID.randomUUID();
            s3.createBucket(r -> r.bucket(bucket));
            s3.putObject(r -> r.bucket(bucket).key("a/b.txt"), RequestBody.fromString("hello"));

            URL url = presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(bucket).key("a/b.txt"))).url();
            assertEquals(endpoints.s3().getHost(), url.getHost());
            assertTrue(url.getPath().startsWith("/" + bucket + "/a/b.txt"), "path-style: " + url);
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            assertEquals(200, connection.getResponseCode());
            try (InputStream in = connection.getInputStream()) {
                assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void withoutOverridesTheRealEndpointsAreUsed() {
        Env.useForThisClassLoader(Map.of("AWS_REGION", "eu-west-1"));
        try (S3Presigner presigner = AwsClients.newS3Presigner()) {
            URL url = presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("my-bucket").key("k"))).url();
            assertEquals("my-bucket.s3.eu-west-1.amazonaws.com", url.getHost());
        }
        assertEquals(null, AwsClients.endpoint(AwsClients.ENDPOINT_S3));
    }

    @Test
    void regionIsRequiredAndEndpointsMustBeUrls() {
        Env.useForThisClassLoader(Map.of());
        assertTrue(assertThrows(ConfigException.class, AwsClients::newDynamoDbClient).getMessage().contains("AWS_REGION"));
        Env.useForThisClassLoader(Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL_SQS", "not a url"));
        assertTrue(assertThrows(ConfigException.class, AwsClients::newSqsClient).getMessage()
                .contains("AWS_ENDPOINT_URL_SQS"));
    }

    @Test
    void aFunctionWithoutS3OnItsClassPathStillGetsDynamoDbAndPrimes(LocalAwsEndpoints endpoints) throws Throwable {
        // What a function jar that left S3, SES, SQS, Redshift Data and Secrets Manager out looks like.
        List<URL> urls = new ArrayList<>();
        int removed = 0;
        for (String entry : testClassPath()) {
            String path = entry.replace(File.separatorChar, '/');
            if (path.matches(".*/software/amazon/awssdk/(s3|ses|sqs|redshiftdata|secretsmanager)/.*")) {
                removed++;
                continue;
            }
            urls.add(new File(entry).toURI().toURL());
        }
        assertEquals(5, removed, "expected to drop the five service jars");
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> env = loader.loadClass(Env.class.getName());
            // The same reflective call the local runtime makes on each function's copy of Env.
            env.getMethod("useForThisClassLoader", Map.class).invoke(null, environment(endpoints));
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass(S3Client.class.getName()));
            // Method handles resolve one method, as a direct call in a handler does (Class.getMethod would
            // resolve every signature of the class, S3's included).
            Class<?> clients = loader.loadClass(AwsClients.class.getName());
            Class<?> dynamoType = loader.loadClass(DynamoDbClient.class.getName());
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object dynamo = lookup.findStatic(clients, "dynamoDb", MethodType.methodType(dynamoType)).invoke();
            assertTrue(dynamoType.isInstance(dynamo));
            lookup.findStatic(clients, "prime", MethodType.methodType(void.class)).invoke();
        }
        assertEquals(null, Env.get("AWS_ENDPOINT_URL_DYNAMODB"), "the override stayed in the other class loader");
    }

    @Test
    void sharedClientsAreBuiltOnceAndPrimeWithoutNetwork() {
        long started = System.nanoTime();
        Env.useForThisClassLoader(Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9", "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9"));
        DynamoDbClient first = AwsClients.dynamoDb();
        assertTrue(first == AwsClients.dynamoDb());
        AwsClients.sqs();
        long built = System.nanoTime();
        AwsClients.prime();
        long primed = System.nanoTime();
        System.out.printf("AwsClients: DynamoDB + SQS clients built in %d ms, primed in %d ms%n",
                (built - started) / 1_000_000, (primed - built) / 1_000_000);
    }

    private static Map<String, String> environment(LocalAwsEndpoints endpoints) {
        Map<String, String> env = new HashMap<>(endpoints.asEnvironment());
        env.put("AWS_REGION", LocalAws.REGION);
        return env;
    }

    private static List<String> testClassPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(classPath.split(File.pathSeparator));
    }
}
