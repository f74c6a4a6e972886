package com.warehouseexport.localruntime.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM template (YAML or JSON) into a Jackson tree. Short-form tags such as {@code !Sub x}
 * become their long form ({@code {"Fn::Sub": x}}), so the evaluator only ever sees long forms.
 */
public final class CfnYaml {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Short tag (without '!') → long form key. */
    private static final Map<String, String> SHORT_FORMS = Map.ofEntries(
        Map.entry("Ref", "Ref"),
        Map.entry("Condition", "Condition"),
        Map.entry("Sub", "Fn::Sub"),
        Map.entry("GetAtt", "Fn::GetAtt"),
        Map.entry("If", "Fn::If"),
        Map.entry("Equals", "Fn::Equals"),
        Map.entry("Not", "Fn::Not"),
        Map.entry("And", "Fn::And"),
        Map.entry("Or", "Fn::Or"),
        Map.entry("Join", "Fn::Join"),
        Map.entry("Select", "Fn::Select"),
        Map.entry("Split", "Fn::Split"),
        Map.entry("FindInMap", "Fn::FindInMap"),
        Map.entry("Base64", "Fn::Base64"),
        Map.entry("GetAZs", "Fn::GetAZs"),
        Map.entry("ImportValue", "Fn::ImportValue"),
        Map.entry("Cidr", "Fn::Cidr"),
        Map.entry("Length", "Fn::Length"),
        Map.entry("ToJsonString", "Fn::ToJsonString"));

    private CfnYaml() {
    }

    public static JsonNode parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // CloudFormation rejects duplicate keys too
        options.setMaxAliasesForCollections(50);
        Object value = new Yaml(new CfnConstructor(options)).load(text);
        return JSON.valueToTree(value);
    }

    private static final class CfnConstructor extends SafeConstructor {
        CfnConstructor(LoaderOptions options) {
            super(options);
            SHORT_FORMS.forEach((shortTag, longForm) ->
                yamlConstructors.put(new Tag("!" + shortTag), new IntrinsicConstruct(longForm)));
            // CloudFormation keeps unquoted dates such as 2010-09-09 as text
            yamlConstructors.put(Tag.TIMESTAMP, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return constructScalar((ScalarNode) node);
                }
            });
        }

        private final class IntrinsicConstruct extends AbstractConstruct {
            private final String longForm;

            IntrinsicConstruct(String longForm) {
                this.longForm = longForm;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                // "!GetAtt Resource.Attribute" is the short form of ["Resource", "Attribute"]
                if (longForm.equals("Fn::GetAtt") && value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    value = dot < 0 ? List.of(dotted) : List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                Map<Object, Object> intrinsic = new LinkedHashMap<>();
                intrinsic.put(longForm, value);
                return intrinsic;
            }
        }
    }
}
