package io.datafabric.archfixture.cycle.a;

import io.datafabric.archfixture.cycle.b.Second;

/** Deliberate violation (test fixture only): half of a package cycle. */
public class First {
    Second next;
}
