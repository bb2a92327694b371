package io.freshet.core.pii;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in text: a pattern proposes candidates and a validator keeps the real ones (Luhn and an
 * issuer prefix for cards, mod-97 for IBANs, area/group/serial rules for SSNs, octet ranges and IPv6 parsing
 * for IP addresses, digit counts for phone numbers). Where candidates overlap, the more specific type wins, in
 * the order email, IBAN, card, SSN, IP, phone. Thread-safe.
 */
public final class PiiDetector {

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,8}[A-Za-z]{2,24}(?![\\w-])");
    private static final Pattern IBAN = Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])");
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
    private static final Pattern SSN = Pattern.compile("(?<![\\d-])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\d-])");
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?!\\d|\\.\\d)");
    private static final Pattern IPV6 = Pattern.compile("(?<![\\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\\w:])");
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}(?:[ .-]\\d{2,6}){1,4}(?![\\w])");
    private static final Pattern IBAN_SHAPE = Pattern.compile("[A-Z]{2}\\d{2}[A-Z0-9]+");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9]+");
    private static final Pattern DATE = Pattern.compile("\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./]\\d{2,4}");

    private static final List<PiiType> PRIORITY = List.of(PiiType.EMAIL, PiiType.IBAN, PiiType.CARD, PiiType.SSN,
            PiiType.IP, PiiType.PHONE);

    private final Set<PiiType> types;

    /** A detector for {@code types}. */
    public PiiDetector(Set<PiiType> types) {
        this.types = types.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(types);
    }

    /** A detector for every type. */
    public static PiiDetector all() {
        return new PiiDetector(EnumSet.allOf(PiiType.class));
    }

    /** The values in {@code text}, in order, never overlapping. */
    public List<PiiMatch> find(String text) {
        Spans found = new Spans();
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        for (PiiType type : PRIORITY) {
            if (!types.contains(type)) {
                continue;
            }
            switch (type) {
                case EMAIL -> collect(found, type, EMAIL.matcher(text), m -> true);
                case IBAN -> collectLongestValid(found, type, text, IBAN.matcher(text), PiiDetector::ibanValid);
                case CARD -> collectLongestValid(found, type, text, CARD.matcher(text), s -> cardValid(digits(s)));
                case SSN -> collect(found, type, SSN.matcher(text), PiiDetector::ssnValid);
                case IP -> {
                    collect(found, type, IPV4.matcher(text), m -> true);
                    collect(found, type, IPV6.matcher(text), m -> ipv6Valid(m.group()));
                }
                case PHONE -> collect(found, type, PHONE.matcher(text), PiiDetector::phoneValid);
            }
        }
        return found.inOrder();
    }

    @FunctionalInterface
    private interface Check {
        boolean valid(Matcher m);
    }

    private static void collect(Spans found, PiiType type, Matcher m, Check check) {
        while (m.find()) {
            if (check.valid(m)) {
                found.addIfFree(new PiiMatch(type, m.start(), m.end()));
            }
        }
    }

    /**
     * For greedy patterns that may take in neighbouring tokens (a quantity before a card number, an expiry date
     * or a BIC after it): a candidate that fails its check is tried again as each run of its space- or
     * dash-separated groups, longest first, and the first that passes is kept.
     */
    private static void collectLongestValid(Spans found, PiiType type, String text, Matcher m,
            java.util.function.Predicate<String> check) {
        while (m.find()) {
            if (check.test(m.group())) {
                found.addIfFree(new PiiMatch(type, m.start(), m.end()));
                continue;
            }
            List<int[]> groups = new ArrayList<>(); // [start, end) of each group within the text
            Matcher g = GROUP.matcher(text).region(m.start(), m.end());
            while (g.find()) {
                groups.add(new int[] {g.start(), g.end()});
            }
            search:
            for (int length = groups.size() - 1; length >= 1; length--) {
                for (int first = 0; first + length <= groups.size(); first++) {
                    int start = groups.get(first)[0];
                    int end = groups.get(first + length - 1)[1];
                    if (check.test(text.substring(start, end))) {
                        found.addIfFree(new PiiMatch(type, start, end));
                        break search;
                    }
                }
            }
        }
    }

    /** Accepted spans, never overlapping, with a logarithmic overlap check. */
    private static final class Spans {
        private final java.util.TreeMap<Integer, PiiMatch> byStart = new java.util.TreeMap<>();

        void addIfFree(PiiMatch m) {
            var before = byStart.floorEntry(m.start());
            var after = byStart.ceilingEntry(m.start());
            if ((before == null || before.getValue().end() <= m.start()) && (after == null || after.getKey() >= m.end())) {
                byStart.put(m.start(), m);
            }
        }

        List<PiiMatch> inOrder() {
            return new ArrayList<>(byStart.values());
        }
    }

    private static String digits(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** 13 to 19 digits, a known issuer prefix, and a valid Luhn check digit. */
    static boolean cardValid(String digits) {
        int n = digits.length();
        if (n < 13 || n > 19 || !issuer(digits)) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < n; i++) {
            int d = digits.charAt(n - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static boolean issuer(String d) {
        int two = Integer.parseInt(d.substring(0, 2));
        int four = Integer.parseInt(d.substring(0, 4));
        int three = Integer.parseInt(d.substring(0, 3));
        return d.charAt(0) == '4' // Visa
                || (two >= 51 && two <= 55) || (four >= 2221 && four <= 2720) // Mastercard
                || two == 34 || two == 37 // American Express
                || four == 6011 || two == 65 || (three >= 644 && three <= 649) // Discover
                || two == 35 // JCB
                || two == 36 || two == 38 || (three >= 300 && three <= 305) // Diners Club
                || two == 62; // UnionPay
    }

    /** Letters-and-digits IBAN (spaces allowed) whose check digits pass ISO 7064 mod 97-10. */
    static boolean ibanValid(String candidate) {
        String iban = candidate.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34 || !IBAN_SHAPE.matcher(iban).matches()) {
            return false;
        }
        int check = Integer.parseInt(iban.substring(2, 4));
        if (check < 2 || check > 98) {
            return false; // ISO 13616 never computes 00, 01 or 99
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder numeric = new StringBuilder(rearranged.length() * 2);
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (Character.isDigit(c)) {
                numeric.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                numeric.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    /** Area not 000, 666 or 9xx; group not 00; serial not 0000. */
    private static boolean ssnValid(Matcher m) {
        int area = Integer.parseInt(m.group(1));
        return area != 0 && area != 666 && area < 900 && !m.group(3).equals("00") && !m.group(4).equals("0000");
    }

    private static boolean ipv6Valid(String s) {
        if (s.chars().filter(c -> c == ':').count() < 2 || s.replace(":", "").isEmpty()) {
            return false;
        }
        try {
            return InetAddress.getByName(s).getAddress().length == 16; // a literal with ':' is parsed, never resolved
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /**
     * Ten to thirteen digits, or seven or more with a {@code +} country code or a parenthesised area code; never
     * a date. (Longer runs in groups are card-like numbers, not phones.)
     */
    private static boolean phoneValid(Matcher m) {
        String s = m.group();
        int digits = digits(s).length();
        if (digits > 13 || DATE.matcher(s).matches()) {
            return false;
        }
        boolean marked = s.startsWith("+") || s.contains("(");
        return digits >= 10 || (marked && digits >= 7);
    }
}
