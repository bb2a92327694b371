package io.freshet.core.pii;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated labeled set: texts with personal data of every type at known spans, among hard negatives that
 * look like it (Luhn-failing card numbers, IBANs with wrong check digits, impossible SSNs and octets, dates,
 * times, zip+4 codes, year ranges, ISBNs, prices, versions, order numbers).
 */
final class LabeledPiiSet {

    /** One text and the values in it. */
    record Text(String text, List<PiiMatch> labels) {}

    private static final String[] WORDS = {"the", "quarterly", "report", "was", "sent", "to", "finance", "after",
            "review", "please", "contact", "our", "team", "about", "invoice", "shipping", "update", "customer", "notes",
            "meeting", "agreed", "follow", "up", "account", "ledger", "policy"};
    private static final String[] NAMES = {"jane.doe", "j_smith", "ops+alerts", "maria.garcia", "li.wei", "o'neil", "a.b.c"};
    private static final String[] DOMAINS = {"example.com", "mail.co.uk", "corp.example.org", "acme.io", "uni-hamburg.de"};

    private final Random random;
    private final StringBuilder text = new StringBuilder();
    private final List<PiiMatch> labels = new ArrayList<>();

    private LabeledPiiSet(Random random) {
        this.random = random;
    }

    static List<Text> generate(long seed, int texts) {
        Random random = new Random(seed);
        List<Text> out = new ArrayList<>();
        for (int i = 0; i < texts; i++) {
            LabeledPiiSet t = new LabeledPiiSet(random);
            int items = 3 + random.nextInt(4);
            for (int k = 0; k < items; k++) {
                t.words(2 + random.nextInt(6));
                if (random.nextInt(3) == 0) {
                    t.negative();
                } else {
                    PiiType type = PiiType.values()[random.nextInt(PiiType.values().length)];
                    t.positive(type, t.value(type));
                }
            }
            t.words(3);
            t.text.append('.');
            out.add(new Text(t.text.toString(), List.copyOf(t.labels)));
        }
        return out;
    }

    private void words(int n) {
        for (int i = 0; i < n; i++) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        text.append(random.nextInt(5) == 0 ? ": " : " ");
    }

    private void positive(PiiType type, String value) {
        int start = text.length();
        text.append(value);
        labels.add(new PiiMatch(type, start, text.length()));
    }

    private String value(PiiType type) {
        return switch (type) {
            case EMAIL -> NAMES[random.nextInt(NAMES.length)].replace("'", "") + random.nextInt(100) + "@"
                    + DOMAINS[random.nextInt(DOMAINS.length)];
            case PHONE -> switch (random.nextInt(6)) {
                case 0 -> "+1 415 555 " + digits(4);
                case 1 -> "(415) 555-" + digits(4);
                case 2 -> "415-555-" + digits(4);
                case 3 -> "+44 20 7946 " + digits(4);
                case 4 -> "+49 30 " + digits(6);
                default -> "415.555." + digits(4);
            };
            case CARD -> card();
            case SSN -> String.format("%03d-%02d-%04d", 1 + random.nextInt(665), 1 + random.nextInt(99), 1 + random.nextInt(9999));
            case IBAN -> iban();
            case IP -> random.nextBoolean()
                    ? (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256)
                    : random.nextBoolean() ? "2001:db8:" + Integer.toHexString(random.nextInt(65536)) + "::" + Integer.toHexString(1 + random.nextInt(65535))
                            : "fe80:0:0:0:" + Integer.toHexString(random.nextInt(65536)) + ":" + Integer.toHexString(random.nextInt(65536))
                                    + ":" + Integer.toHexString(random.nextInt(65536)) + ":" + Integer.toHexString(random.nextInt(65536));
        };
    }

    private void negative() {
        String[] options = {
                spaced(luhnBreak(cardDigits())),           // a card number with a wrong check digit
                "DE00" + digits(18),                        // an IBAN with wrong check digits
                "000-" + digits(2) + "-" + digits(4),       // SSN area 000
                "666-12-" + digits(4),                      // SSN area 666
                "123-00-4567",                              // SSN group 00
                (256 + random.nextInt(700)) + ".12.1.1",     // an octet over 255
                "2026-11-" + (10 + random.nextInt(18)),     // a date
                "11/" + (10 + random.nextInt(18)) + "/2026",
                "10:" + (10 + random.nextInt(49)) + ":45",  // a time
                "94105-" + digits(4),                       // zip+4
                "1998-2004",                                // a year range
                "978-3-16-148410-0",                        // an ISBN
                "$1,299.00",                                // a price
                "v2.10.3",                                  // a version
                "order " + digits(13),                      // an order number
                "ext. " + digits(4),                        // an extension
        };
        text.append(options[random.nextInt(options.length)]);
    }

    private String digits(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(random.nextInt(10));
        }
        return b.toString();
    }

    private String cardDigits() {
        String[] prefixes = {"4", "51", "55", "37", "6011", "35"};
        String prefix = prefixes[random.nextInt(prefixes.length)];
        int length = prefix.equals("37") ? 15 : 16;
        String body = prefix + digits(length - prefix.length() - 1);
        for (int check = 0; check < 10; check++) {
            if (PiiDetector.cardValid(body + check)) {
                return body + check;
            }
        }
        throw new IllegalStateException();
    }

    private static String luhnBreak(String card) {
        char last = card.charAt(card.length() - 1);
        return card.substring(0, card.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    }

    private String card() {
        return spaced(cardDigits());
    }

    /** Plain, or in groups of four separated by spaces or dashes. */
    private String spaced(String digits) {
        int style = random.nextInt(3);
        if (style == 0) {
            return digits;
        }
        String sep = style == 1 ? " " : "-";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 4) {
            if (i > 0) {
                b.append(sep);
            }
            b.append(digits, i, Math.min(digits.length(), i + 4));
        }
        return b.toString();
    }

    private String iban() {
        String country = new String[] {"DE", "GB", "FR", "NL"}[random.nextInt(4)];
        String bban = switch (country) {
            case "GB" -> "NWBK" + digits(14);
            case "NL" -> "ABNA" + digits(10);
            case "FR" -> digits(23);
            default -> digits(18);
        };
        StringBuilder numeric = new StringBuilder();
        for (char c : (bban + country + "00").toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        int check = 98 - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
        String iban = country + String.format("%02d", check) + bban;
        if (random.nextBoolean()) {
            return iban;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < iban.length(); i += 4) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(iban, i, Math.min(iban.length(), i + 4));
        }
        return b.toString();
    }
}
