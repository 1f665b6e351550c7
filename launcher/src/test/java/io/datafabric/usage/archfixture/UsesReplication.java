package io.datafabric.usage.archfixture;

import io.datafabric.replication.ReplicateCommand;

/** Deliberate violation (test fixture only): a job importing another job. */
public class UsesReplication {
    ReplicateCommand other;
}
