package com.warehouseexport.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Least privilege in template.yaml: every IAM statement that allows something names its actions exactly (no
 * {@code *}) and its resources as this stack's own table, queues, buckets, secret, warehouse or sender identity.
 * A resource wildcard is allowed only below one of the stack's own resources ({@code ${Bucket.Arn}/exports/*}).
 * The few places AWS leaves no choice are listed in {@link #EXCEPTIONS} with the reason, and each must still be
 * as narrow as AWS allows.
 */
class LeastPrivilegeTest {

    /** Sid → why its resource cannot be scoped to one of the stack's resources. */
    private static final Map<String, String> EXCEPTIONS = Map.of(
            "FollowOwnStatements", "DescribeStatement, GetStatementResult and CancelStatement have no resource "
                    + "type (IAM requires \"*\"); the condition redshift-data:statement-owner-iam-userid limits "
                    + "them to statements the stack's own WarehouseStatementRole submitted",
            "ProcessorSubmitsStatements", "with Redshift Serverless the workgroup ARN carries the workgroup's id, "
                    + "which the stack cannot know from its name: workgroup/* of this account and region",
            "ProcessorServerlessTemporaryCredentials", "same as ProcessorSubmitsStatements: workgroup ARNs carry ids",
            "CancelExportStatements", "same as FollowOwnStatements, for the receiver (DELETE /exports/{id}): the "
                    + "condition limits CancelStatement to statements WarehouseStatementRole submitted",
            "AthenaReadsTheCatalog", "Athena reads the Glue catalog with the caller's permissions: the account's "
                    + "catalog ARN has no name, and the tables are those of the database AthenaDatabaseName names",
            "AthenaReadsSourceData", "Athena reads the source data with the caller's permissions: the objects of "
                    + "the bucket AthenaSourceDataBucket names (data the stack reads, not its own resource)");

    /**
     * AWS managed policies allowed on a role, with the reason. SAM attaches AWSLambdaBasicExecutionRole to the roles
     * it generates; its logs actions have Resource "*", but Lambda only writes to the function's own log group.
     */
    /**
     * Functions' logging, and API Gateway's account-level logging role (optional, CreateApiGatewayAccountRole):
     * AWS documents that managed policy as the role's policy; it only writes to CloudWatch Logs.
     */
    private static final Set<String> MANAGED_POLICIES = Set.of("AWSLambdaBasicExecutionRole",
            "AmazonAPIGatewayPushToCloudWatchLogs");

    private final Map<String, Object> template = CloudFormationYaml.load(ProjectFiles.template());
    private final Set<String> resources = SamTemplate.map(template.get("Resources")).keySet();
    private final Set<String> parameters = SamTemplate.map(template.getOrDefault("Parameters", Map.of())).keySet();

    /** One Allow or Deny statement and where it was found. */
    private record Statement(String where, Map<String, Object> body) {
        String sid() {
            return String.valueOf(body.get("Sid"));
        }
    }

    @Test
    void noActionWildcardsAndNoUnscopedResources() {
        List<Statement> statements = statements();
        assertTrue(statements.size() >= 15, () -> "IAM statements found: " + statements.size());
        List<String> problems = new ArrayList<>();
        Set<String> exceptionsUsed = new TreeSet<>();
        for (Statement statement : statements) {
            Map<String, Object> body = statement.body();
            if ("Deny".equals(body.get("Effect"))) {
                continue; // a wildcard in a Deny only widens what is refused
            }
            String name = statement.where() + " " + statement.sid();
            if (body.containsKey("NotAction") || body.containsKey("NotResource")) {
                problems.add(name + ": NotAction/NotResource allow everything else");
            }
            for (Object action : asList(body.get("Action"))) {
                if (!(action instanceof String text) || text.contains("*") || !text.matches("[a-z0-9-]+:[A-Za-z0-9]+")) {
                    problems.add(name + ": action " + action + " is not one exact action");
                }
            }
            if (body.containsKey("Principal")) {
                // bucket policy grants: the principal must be a parameter (the warehouse's UNLOAD role), never "*"
                if (!referencesStack(body.get("Principal"))) {
                    problems.add(name + ": principal " + body.get("Principal") + " is not one of the stack's");
                }
            }
            for (Object resource : asList(body.get("Resource"))) {
                String problem = resourceProblem(resource);
                if (problem != null) {
                    if (EXCEPTIONS.containsKey(statement.sid())) {
                        exceptionsUsed.add(statement.sid());
                    } else {
                        problems.add(name + ": resource " + resource + " " + problem);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(new TreeSet<>(EXCEPTIONS.keySet()), exceptionsUsed,
                "every documented exception is still needed (remove those that are not)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FollowOwnStatements", "CancelExportStatements"})
    void statementQueriesAreLimitedToTheRolesOwnStatements(String sid) {
        Statement follow = statements().stream().filter(s -> s.sid().equals(sid)).findFirst()
                .orElseThrow();
        assertEquals(List.of("*"), asList(follow.body().get("Resource")));
        Map<String, Object> condition = SamTemplate.map(follow.body().get("Condition"));
        Object owners = SamTemplate.map(condition.get("StringLike")).get("redshift-data:statement-owner-iam-userid");
        // the role's unique id, alone and with any session name
        assertEquals(List.of(Map.of("Fn::GetAtt", List.of("WarehouseStatementRole", "RoleId")),
                Map.of("Fn::Sub", "${WarehouseStatementRole.RoleId}:*")), owners, () -> "condition: " + condition);
    }

    @Test
    void onlyTheBasicExecutionRoleIsAttachedAsAManagedPolicy() {
        SamTemplate.map(template.get("Resources")).forEach((id, value) -> {
            Map<String, Object> properties = SamTemplate.map(SamTemplate.map(value).getOrDefault("Properties", Map.of()));
            for (Object arn : asList(properties.get("ManagedPolicyArns"))) {
                String text = String.valueOf(arn instanceof Map<?, ?> sub ? sub.get("Fn::Sub") : arn);
                assertTrue(MANAGED_POLICIES.stream().anyMatch(text::endsWith), id + " attaches " + arn);
            }
            if ("AWS::Serverless::Function".equals(SamTemplate.map(value).get("Type"))) {
                for (Object policy : asList(properties.get("Policies"))) {
                    // SAM policy templates (DynamoDBCrudPolicy, …) and managed policy names grant far more than needed
                    assertTrue(policy instanceof Map<?, ?> map && map.containsKey("Statement"),
                            id + " uses a SAM policy template or managed policy: " + policy);
                }
            }
        });
    }

    /** The control table writers can read what they write (a replayed Idempotency-Key reads the first request). */
    @Test
    void theReceiverMayReadTheControlTable() {
        Statement record = statements().stream().filter(s -> s.sid().equals("RecordRequests")).findFirst().orElseThrow();
        assertTrue(asList(record.body().get("Action")).contains("dynamodb:GetItem"), record::toString);
    }

    // ------------------------------------------------------------------ reading the template

    private List<Statement> statements() {
        List<Statement> statements = new ArrayList<>();
        SamTemplate.map(template.get("Resources")).forEach((id, value) -> {
            Map<String, Object> resource = SamTemplate.map(value);
            Map<String, Object> properties = SamTemplate.map(resource.getOrDefault("Properties", Map.of()));
            switch (String.valueOf(resource.get("Type"))) {
                case "AWS::Serverless::Function" -> asList(properties.get("Policies")).forEach(policy -> {
                    if (policy instanceof Map<?, ?> document && document.containsKey("Statement")) {
                        addStatements(id, document.get("Statement"), statements);
                    }
                });
                case "AWS::IAM::Role" -> asList(properties.get("Policies")).forEach(policy -> addStatements(
                        id, SamTemplate.map(SamTemplate.map(policy).get("PolicyDocument")).get("Statement"), statements));
                case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy" ->
                        addStatements(id, SamTemplate.map(properties.get("PolicyDocument")).get("Statement"), statements);
                default -> {
                }
            }
        });
        return statements;
    }

    /** Statements, with both branches of an {@code Fn::If} (AWS::NoValue dropped). */
    @SuppressWarnings("unchecked")
    private static void addStatements(String where, Object value, List<Statement> into) {
        for (Object item : asList(value)) {
            if (item instanceof Map<?, ?> map && map.containsKey("Fn::If")) {
                List<Object> branches = SamTemplate.list(map.get("Fn::If"));
                addStatements(where, branches.subList(1, 3), into);
            } else if (item instanceof Map<?, ?> map && map.containsKey("Ref") && "AWS::NoValue".equals(map.get("Ref"))) {
                continue;
            } else if (item instanceof Map<?, ?> map) {
                into.add(new Statement(where, (Map<String, Object>) map));
            } else {
                fail(where + ": unexpected statement " + item);
            }
        }
    }

    private static List<Object> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    /** Null when the resource is one of the stack's (or below one); else what is wrong with it. */
    private String resourceProblem(Object resource) {
        if (resource instanceof String text) {
            return text.equals("*") ? "is \"*\"" : "is a fixed ARN, not the stack's";
        }
        if (resource instanceof Map<?, ?> map && map.containsKey("Fn::If")) {
            List<Object> branches = SamTemplate.list(map.get("Fn::If"));
            String first = resourceProblem(branches.get(1));
            return first != null ? first : resourceProblem(branches.get(2));
        }
        if (!referencesStack(resource)) {
            return "names none of the stack's resources or parameters";
        }
        if (resource instanceof Map<?, ?> map && map.containsKey("Fn::Sub")) {
            Object sub = map.get("Fn::Sub");
            String text = String.valueOf(sub instanceof List<?> list ? list.get(0) : sub);
            int star = text.indexOf('*');
            if (star >= 0) {
                // allowed: ${OwnResource.Arn}/prefix/* ; refused: a wildcard in the account, region or resource name
                Matcher own = Pattern.compile("^\\$\\{([A-Za-z0-9]+)\\.Arn}/").matcher(text);
                if (!own.find() || !resources.contains(own.group(1))) {
                    return "has a wildcard outside one of the stack's own resources";
                }
            }
        }
        return null;
    }

    /** Whether the expression names a resource or parameter of this template (pseudo parameters do not count). */
    private boolean referencesStack(Object value) {
        Set<String> names = new LinkedHashSet<>();
        collectReferences(value, names);
        return names.stream().anyMatch(name -> resources.contains(name) || parameters.contains(name));
    }

    private static void collectReferences(Object value, Set<String> names) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, inner) -> {
                if ("Ref".equals(key)) {
                    names.add(String.valueOf(inner));
                } else if ("Fn::GetAtt".equals(key)) {
                    Object target = inner instanceof List<?> list ? list.get(0) : String.valueOf(inner).split("\\.")[0];
                    names.add(String.valueOf(target));
                } else if ("Fn::Sub".equals(key)) {
                    Object text = inner instanceof List<?> list ? list.get(0) : inner;
                    Matcher variable = SUB_VARIABLE.matcher(String.valueOf(text));
                    while (variable.find()) {
                        names.add(variable.group(1).split("\\.")[0]);
                    }
                    if (inner instanceof List<?> list && list.size() > 1) {
                        collectReferences(list.get(1), names);
                    }
                } else {
                    collectReferences(inner, names);
                }
            });
        } else if (value instanceof List<?> list) {
            list.forEach(item -> collectReferences(item, names));
        }
    }

    @Test
    void theCheckerCatchesWhatItShould() {
        assertFalse(resourceProblem("*") == null);
        assertFalse(resourceProblem("arn:aws:s3:::someone-elses-bucket/*") == null);
        assertFalse(resourceProblem(Map.of("Fn::Sub", "arn:aws:s3:::*")) == null);
        assertFalse(resourceProblem(Map.of("Fn::Sub", "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*")) == null);
        assertTrue(resourceProblem(Map.of("Fn::Sub", "${ResultsBucket.Arn}/exports/*")) == null);
        assertTrue(resourceProblem(Map.of("Fn::GetAtt", List.of("ControlTable", "Arn"))) == null);
        assertFalse(resourceProblem(Map.of("Fn::Sub", "${ResultsBucket.Arn}*")) == null);
    }
}
