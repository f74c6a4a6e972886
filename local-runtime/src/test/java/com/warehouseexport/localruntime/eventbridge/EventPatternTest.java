package com.warehouseexport.localruntime.eventbridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EventPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean matches(String pattern, String event) {
        return EventPattern.of(json(pattern)).matches(json(event));
    }

    private static final String STATUS_CHANGE = "{'version':'0','id':'1','detail-type':'Redshift Data Statement "
        + "Status Change','source':'aws.redshift-data','account':'000000000000','time':'2026-01-01T00:00:00Z',"
        + "'region':'us-east-1','resources':['arn:aws:redshift:us-east-1:000000000000:cluster:c1'],"
        + "'detail':{'principal':'arn:aws:sts::000000000000:assumed-role/r/f','statementName':'export-r1',"
        + "'statementId':'s1','state':'FINISHED','rows':42,'expireAt':1700000000,'tags':['a','b']}}";

    /** The rule of the project's template (ResultPollerFunction.StatementStatusChange). */
    private static final String TEMPLATE_RULE = "{'source':['aws.redshift-data'],"
        + "'detail-type':['Redshift Data Statement Status Change'],'detail':{'statementName':[{'prefix':'export-'}]}}";

    @Test
    void theTemplatesRule() {
        assertTrue(matches(TEMPLATE_RULE, STATUS_CHANGE));
        assertFalse(matches(TEMPLATE_RULE, STATUS_CHANGE.replace("export-r1", "adhoc-r1")));
        assertFalse(matches(TEMPLATE_RULE, STATUS_CHANGE.replace("'source':'aws.redshift-data'",
            "'source':'my.app'")));
        assertFalse(matches(TEMPLATE_RULE, STATUS_CHANGE.replace("'statementName':'export-r1',", "")),
            "a missing field never matches a value matcher");
    }

    @Test
    void exactValuesOfEveryType() {
        assertTrue(matches("{'detail':{'state':['FAILED','FINISHED']}}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'state':['finished']}}", STATUS_CHANGE), "case matters");
        assertTrue(matches("{'detail':{'rows':[42]}}", STATUS_CHANGE));
        assertTrue(matches("{'detail':{'rows':[42.0]}}", STATUS_CHANGE), "numbers compare by value");
        assertFalse(matches("{'detail':{'rows':['42']}}", STATUS_CHANGE), "a string is not a number");
        assertTrue(matches("{'a':[true]}", "{'a':true}"));
        assertFalse(matches("{'a':[true]}", "{'a':'true'}"));
        assertTrue(matches("{'a':[null]}", "{'a':null}"));
        assertFalse(matches("{'a':[null]}", "{}"));
    }

    @Test
    void arraysInTheEventMatchWhenAnyElementDoes() {
        assertTrue(matches("{'detail':{'tags':['b']}}", STATUS_CHANGE));
        assertTrue(matches("{'resources':[{'prefix':'arn:aws:redshift:'}]}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'tags':['c']}}", STATUS_CHANGE));
        assertTrue(matches("{'items':{'kind':['x']}}", "{'items':[{'kind':'y'},{'kind':'x'}]}"));
    }

    @Test
    void prefixSuffixIgnoreCaseAndWildcard() {
        assertTrue(matches("{'detail':{'statementName':[{'suffix':'-r1'}]}}", STATUS_CHANGE));
        assertTrue(matches("{'detail':{'state':[{'equals-ignore-case':'finished'}]}}", STATUS_CHANGE));
        assertTrue(matches("{'detail':{'statementName':[{'prefix':{'equals-ignore-case':'EXPORT-'}}]}}",
            STATUS_CHANGE));
        assertTrue(matches("{'detail':{'principal':[{'wildcard':'arn:aws:sts::*:assumed-role/*'}]}}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'principal':[{'wildcard':'arn:aws:iam::*'}]}}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'rows':[{'prefix':'4'}]}}", STATUS_CHANGE), "prefix only matches strings");
    }

    @Test
    void anythingBut() {
        assertTrue(matches("{'detail':{'state':[{'anything-but':'FAILED'}]}}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'state':[{'anything-but':['FAILED','FINISHED']}]}}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'statementName':[{'anything-but':{'prefix':'export-'}}]}}", STATUS_CHANGE));
        assertTrue(matches("{'detail':{'statementName':[{'anything-but':{'suffix':'-r2'}}]}}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'state':[{'anything-but':{'equals-ignore-case':['finished']}}]}}",
            STATUS_CHANGE));
        assertFalse(matches("{'detail':{'missing':[{'anything-but':'x'}]}}", STATUS_CHANGE),
            "anything-but needs the field");
        assertFalse(matches("{'detail':{'rows':[{'anything-but':42}]}}", STATUS_CHANGE));
    }

    @Test
    void exists() {
        assertTrue(matches("{'detail':{'statementId':[{'exists':true}]}}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'error':[{'exists':true}]}}", STATUS_CHANGE));
        assertTrue(matches("{'detail':{'error':[{'exists':false}]}}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'statementId':[{'exists':false}]}}", STATUS_CHANGE));
    }

    @Test
    void numericRanges() {
        assertTrue(matches("{'detail':{'rows':[{'numeric':['>',0,'<=',42]}]}}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'rows':[{'numeric':['>',42]}]}}", STATUS_CHANGE));
        assertTrue(matches("{'detail':{'rows':[{'numeric':['=',42]}]}}", STATUS_CHANGE));
        assertFalse(matches("{'detail':{'state':[{'numeric':['>',0]}]}}", STATUS_CHANGE), "not a number");
    }

    @Test
    void orAndCidr() {
        assertTrue(matches("{'$or':[{'detail':{'state':['FAILED']}},{'detail':{'rows':[{'numeric':['>',10]}]}}]}",
            STATUS_CHANGE));
        assertFalse(matches("{'$or':[{'detail':{'state':['FAILED']}},{'source':['other']}]}", STATUS_CHANGE));
        assertTrue(matches("{'ip':[{'cidr':'10.0.0.0/24'}]}", "{'ip':'10.0.0.77'}"));
        assertFalse(matches("{'ip':[{'cidr':'10.0.0.0/24'}]}", "{'ip':'10.0.1.1'}"));
        assertFalse(matches("{'ip':[{'cidr':'10.0.0.0/24'}]}", "{'ip':'example.com'}"));
    }

    @Test
    void malformedPatternsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> EventPattern.of(json("{'source':'aws.redshift-data'}")));
        assertThrows(IllegalArgumentException.class, () -> EventPattern.of(json("{'a':[{'contains':'x'}]}")));
        assertThrows(IllegalArgumentException.class, () -> EventPattern.of(json("{'a':[{'numeric':['>']}]}")));
    }
}
