package io.mintaro.demo.orders;

/** What frontend posts; the customer's details it also sends are not orders' business. */
record OrderRequest(String item, Integer quantity, String mode) {

  String itemOrUnknown() {
    return item == null || item.isBlank() ? "unknown" : item;
  }

  int quantityAtLeastOne() {
    return quantity == null ? 1 : Math.max(1, quantity);
  }

  String modeOrNone() {
    return mode == null ? "" : mode;
  }
}
