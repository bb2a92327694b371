package io.freshet.core.pii;

import java.util.Locale;

/** A kind of personal data Freshet can find in text and redact before it is embedded or indexed. */
public enum PiiType {
    /** An e-mail address. */
    EMAIL,
    /** A phone number: ten or more digits, or fewer with a {@code +} country code or a parenthesised area code. */
    PHONE,
    /** A payment card number: 13 to 19 digits with a known issuer prefix and a valid Luhn check digit. */
    CARD,
    /** A US social security number, {@code 123-45-6789} (or with spaces), with a valid area, group and serial. */
    SSN,
    /** An IBAN whose mod-97 check digits are right. */
    IBAN,
    /** An IPv4 or IPv6 address. */
    IP;

    /** The typed placeholder that replaces a value in {@link RedactionMode#REDACT} mode, e.g. {@code [EMAIL]}. */
    public String placeholder() {
        return "[" + name() + "]";
    }

    /** The configuration name, e.g. {@code email}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration name, naming the bad value. */
    public static PiiType of(String name) {
        for (PiiType t : values()) {
            if (t.configName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown PII type '" + name + "' (email, phone, card, ssn, iban, ip)");
    }
}
