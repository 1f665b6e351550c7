package io.datafabric.des.archfixture;

import io.datafabric.des.DesReader;

/** Deliberate violation (test fixture only): a des-format sub-package importing the top package. */
public class UsesTopPackage {
    DesReader reader;
}
