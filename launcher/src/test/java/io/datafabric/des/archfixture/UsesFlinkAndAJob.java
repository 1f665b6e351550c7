package io.datafabric.des.archfixture;

import io.datafabric.despacker.PackerPlaceholder;
import org.apache.flink.configuration.Configuration;

/** Deliberate violation (test fixture only): des-format importing Flink and a job. */
public class UsesFlinkAndAJob {
    Configuration flink;
    PackerPlaceholder job;
}
