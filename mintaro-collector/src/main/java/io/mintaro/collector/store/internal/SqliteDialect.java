package io.mintaro.collector.store.internal;

import java.util.Collection;

/** SQLite: one writer connection does every write, so writers never meet. */
final class SqliteDialect implements Dialect {
    static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {
    }

    @Override
    public String migrations() {
        return "classpath:io/mintaro/collector/store/migration/sqlite";
    }

    @Override
    public String jsonText(String column, String path) {
        return "json_extract(" + column + ", '$." + path + "')";
    }

    @Override
    public String isHttpStatus(String expr) {
        return expr + " GLOB 'HTTP [0-9][0-9][0-9]'";
    }

    @Override
    public String greatest(String a, String b) {
        return "max(" + a + ", " + b + ")";
    }

    @Override
    public String least(String a, String b) {
        return "min(" + a + ", " + b + ")";
    }

    @Override
    public String indexedBy(String index) {
        return " INDEXED BY " + index;
    }

    @Override
    public String contains(String haystack, String needle) {
        return "instr(" + haystack + ", " + needle + ") > 0";
    }

    @Override
    public String zeroPadded(String expr) {
        return "printf('%020d', " + expr + ")";
    }

    @Override
    public String joinNumbers(String expr) {
        return "group_concat(" + expr + ")";
    }

    @Override
    public String like() {
        return "LIKE";
    }

    @Override
    public String skipLocked() {
        return "";
    }

    @Override
    public String unlimited() {
        return "LIMIT -1";
    }

    @Override
    public void lockTraces(Tx tx, Collection<String> sortedTraceIds) {
        // The single writer connection already serialises every write.
    }

    @Override
    public boolean retryable(java.sql.SQLException e) {
        return false;
    }
}
