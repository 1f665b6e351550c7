package io.datafabric.despacker;

/** A class in the packer's package for the rule fixtures (test code only). */
public class PackerPlaceholder {}
