package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * A decimal number: a JSON number, or a string of plain decimal digits (so clients can send exact values),
 * at most {@code scale} fractional digits (trailing zeros do not count), at most 38 digits in all
 * (Redshift's DECIMAL limit), between optional inclusive bounds.
 */
public final class DecimalParameter extends ParameterSpec {
    public static final int MAX_PRECISION = 38;
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?[0-9]{1,38}(\\.[0-9]{1,38})?");

    private final BigDecimal min;
    private final BigDecimal max;
    private final Integer scale;

    public DecimalParameter(String name, String description, boolean required,
                            BigDecimal min, BigDecimal max, Integer scale) {
        super(name, description, required);
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw new IllegalArgumentException("parameter '" + name + "': min > max");
        }
        if (scale != null && (scale < 0 || scale > MAX_PRECISION)) {
            throw new IllegalArgumentException("parameter '" + name + "': scale must be between 0 and " + MAX_PRECISION);
        }
        this.min = min;
        this.max = max;
        this.scale = scale;
    }

    @Override
    public ParameterType type() {
        return ParameterType.DECIMAL;
    }

    public BigDecimal min() {
        return min;
    }

    public BigDecimal max() {
        return max;
    }

    public Integer scale() {
        return scale;
    }

    @Override
    ParameterValue parse(JsonNode raw) throws InvalidValue {
        BigDecimal value;
        if (raw.isNumber()) {
            value = raw.decimalValue();
        } else if (raw.isTextual() && PLAIN_DECIMAL.matcher(raw.textValue()).matches()) {
            value = new BigDecimal(raw.textValue());
        } else {
            throw wrongType("a decimal number");
        }
        // 1e999999999 is one digit, but its plain form has a billion: refuse absurd exponents before anything
        // expands the value (normalising or printing it).
        BigDecimal stripped = value.stripTrailingZeros();
        if ((long) stripped.precision() - stripped.scale() > MAX_PRECISION || stripped.scale() > 2L * MAX_PRECISION) {
            throw new InvalidValue("out_of_range", "must be a number" + Bounds.describe(plain(min), plain(max))
                    + " with at most " + MAX_PRECISION + " significant digits");
        }
        value = ParameterValue.DecimalValue.normalise(stripped);
        if (scale != null && value.scale() > scale) {
            throw new InvalidValue("too_many_decimals", "must have at most " + scale + " digits after the decimal point");
        }
        if (value.precision() > MAX_PRECISION
                || (min != null && value.compareTo(min) < 0) || (max != null && value.compareTo(max) > 0)) {
            throw new InvalidValue("out_of_range", "must be a number" + Bounds.describe(plain(min), plain(max)));
        }
        return new ParameterValue.DecimalValue(value);
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    @Override
    protected String jsonSchemaType() {
        return "number";
    }

    @Override
    protected void describeConstraints(ObjectNode node) {
        if (min != null) {
            node.put("minimum", min);
        }
        if (max != null) {
            node.put("maximum", max);
        }
        if (scale != null) {
            node.put("multipleOf", BigDecimal.ONE.movePointLeft(scale));
        }
    }
}
