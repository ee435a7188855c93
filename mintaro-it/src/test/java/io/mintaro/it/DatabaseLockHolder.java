package io.mintaro.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Run as its own process: takes the write lock of a SQLite file ({@code BEGIN EXCLUSIVE}), says
 * {@code locked} on stdout, holds it for the given milliseconds, then lets go.
 */
public final class DatabaseLockHolder {
  private DatabaseLockHolder() {
  }

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
         Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 10000");
      st.execute("BEGIN EXCLUSIVE");
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(Long.parseLong(args[1]));
      st.execute("ROLLBACK");
    }
  }
}
