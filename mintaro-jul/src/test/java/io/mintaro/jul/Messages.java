package io.mintaro.jul;

import java.util.ListResourceBundle;

/** A resource bundle of localized log messages. */
public class Messages extends ListResourceBundle {
  @Override
  protected Object[][] getContents() {
    return new Object[][] {{"charge.declined", "Card {0} was declined: {1}"}};
  }
}
