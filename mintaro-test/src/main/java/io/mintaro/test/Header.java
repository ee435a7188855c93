package io.mintaro.test;

/** One recorded HTTP header, with the name as the integration saw it and the value after redaction. */
public record Header(String name, String value) {}
