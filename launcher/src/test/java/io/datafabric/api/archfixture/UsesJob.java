package io.datafabric.api.archfixture;

import io.datafabric.replication.DrmsCommand;

/** Deliberate violation (test fixture only): the api importing a job. */
public class UsesJob {
    DrmsCommand job;
}
