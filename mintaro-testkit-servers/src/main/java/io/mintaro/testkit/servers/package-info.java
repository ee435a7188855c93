/** Real external servers for tests: a throwaway PostgreSQL cluster and HAProxy. */
package io.mintaro.testkit.servers;
