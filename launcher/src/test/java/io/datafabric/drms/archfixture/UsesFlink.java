package io.datafabric.drms.archfixture;

import org.apache.flink.api.common.JobID;

/** Deliberate violation (test fixture only): drms-core importing Flink. */
public class UsesFlink {
    JobID flink;
}
