package io.freshet.jobs.config;

import io.freshet.core.pii.PiiPolicy;
import io.freshet.core.pii.PiiType;
import io.freshet.core.pii.RedactionMode;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Personal-data redaction before embedding and indexing. */
public final class RedactionOptions {
    private RedactionOptions() {}

    public static final ConfigOption<String> MODE = ConfigOptions.key("redaction.mode")
            .stringType()
            .defaultValue("off")
            .withDescription("What happens to personal data in documents of a source without its own mode: off, "
                    + "redact (typed placeholders such as [EMAIL]), mask (*** keeping separators and a number's last "
                    + "four digits) or drop (the document is not indexed).");

    public static final ConfigOption<List<String>> TYPES = ConfigOptions.key("redaction.types")
            .stringType()
            .asList()
            .defaultValues("email", "phone", "card", "ssn", "iban", "ip")
            .withDescription("Kinds of personal data looked for, separated by ';'.");

    public static final ConfigOption<Map<String, String>> SOURCES = ConfigOptions.key("redaction.sources")
            .mapType()
            .defaultValue(Map.of())
            .withDescription("Modes per source, e.g. 'public.hr_notes:drop,public.wiki:mask'; a key matches a change's "
                    + "source (the table's topic name, or the Kafka topic) equal to it or ending in '.' + key.");

    /** The redaction policy of {@code config}; bad values are named. */
    public static PiiPolicy policy(Configuration config) {
        EnumSet<PiiType> types = EnumSet.noneOf(PiiType.class);
        for (String t : config.get(TYPES)) {
            if (!t.isBlank()) {
                types.add(PiiType.of(t));
            }
        }
        Map<String, RedactionMode> perSource = new LinkedHashMap<>();
        config.get(SOURCES).forEach((source, mode) -> perSource.put(source.trim(), RedactionMode.of(mode)));
        return new PiiPolicy(RedactionMode.of(config.get(MODE)), types, perSource);
    }
}
