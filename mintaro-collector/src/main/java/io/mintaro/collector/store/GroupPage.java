package io.mintaro.collector.store;

import java.util.List;

/**
 * One page of an error-group search.
 *
 * @param groups the page, newest last occurrence first
 * @param total groups matching the filters, on all pages
 */
public record GroupPage(List<GroupRow> groups, long total) {
}
