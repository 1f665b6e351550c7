package io.datafabric.common.archfixture;

import io.datafabric.launcher.DataFabricCli;

/** Deliberate violation (test fixture only): common importing the launcher. */
public class UsesService {
    DataFabricCli service;
}
