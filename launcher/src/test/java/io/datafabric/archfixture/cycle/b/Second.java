package io.datafabric.archfixture.cycle.b;

import io.datafabric.archfixture.cycle.a.First;

/** Deliberate violation (test fixture only): the other half of a package cycle. */
public class Second {
    First back;
}
