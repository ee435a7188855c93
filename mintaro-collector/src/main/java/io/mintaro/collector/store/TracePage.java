package io.mintaro.collector.store;

import java.util.List;

/**
 * One page of a trace search.
 *
 * @param traces the page, newest start first
 * @param total traces matching the filters, on all pages
 */
public record TracePage(List<TraceSummary> traces, long total) {
}
