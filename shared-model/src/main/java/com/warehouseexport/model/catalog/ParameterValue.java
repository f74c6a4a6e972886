package com.warehouseexport.model.catalog;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A validated parameter value, typed. SQL rendering works from these Java values only, never from the
 * caller's text, so a number or a date can only ever render as a number or a date.
 */
public sealed interface ParameterValue {

    ParameterType type();

    /** A string parameter's value; it reaches SQL only through {@code SqlLiterals.nestedStringLiteral}. */
    record StringValue(String value) implements ParameterValue {
        public StringValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public ParameterType type() {
            return ParameterType.STRING;
        }
    }

    /** One of an enum parameter's declared values. */
    record EnumValue(String value) implements ParameterValue {
        public EnumValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public ParameterType type() {
            return ParameterType.ENUM;
        }
    }

    record IntegerValue(long value) implements ParameterValue {
        @Override
        public ParameterType type() {
            return ParameterType.INTEGER;
        }
    }

    /** Scale normalised: no trailing zeros, never negative (so {@code toPlainString} has no exponent). */
    record DecimalValue(BigDecimal value) implements ParameterValue {
        public DecimalValue {
            Objects.requireNonNull(value, "value");
            value = normalise(value);
        }

        static BigDecimal normalise(BigDecimal value) {
            BigDecimal stripped = value.stripTrailingZeros();
            return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
        }

        @Override
        public ParameterType type() {
            return ParameterType.DECIMAL;
        }
    }

    record DateValue(LocalDate value) implements ParameterValue {
        public DateValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public ParameterType type() {
            return ParameterType.DATE;
        }
    }

    record BooleanValue(boolean value) implements ParameterValue {
        @Override
        public ParameterType type() {
            return ParameterType.BOOLEAN;
        }
    }

    /** An optional parameter that was not supplied and has no default: renders as SQL {@code NULL}. */
    record NullValue(ParameterType type) implements ParameterValue {
        public NullValue {
            Objects.requireNonNull(type, "type");
        }
    }

    default boolean isNull() {
        return this instanceof NullValue;
    }
}
