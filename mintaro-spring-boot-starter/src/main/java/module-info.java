/**
 * Mintaro's Spring Boot starter: auto-configuration of the SDK and of every integration. Each
 * integration, and each library it integrates, is optional: its part of the starter stays off
 * when it is missing.
 */
module io.mintaro.spring.boot {
  requires io.mintaro;
  requires spring.boot;
  requires spring.boot.autoconfigure;
  requires spring.core;
  requires spring.beans;
  requires spring.context;
  requires spring.aop;
  requires org.apache.commons.logging;

  requires static io.mintaro.servlet;
  requires static io.mintaro.spring.web;
  requires static io.mintaro.httpclient;
  requires static io.mintaro.logback;
  requires static io.mintaro.jdbc;
  requires static jakarta.servlet;
  requires static spring.web;
  requires static spring.webmvc;
  requires static spring.boot.health;
  requires static ch.qos.logback.classic;
  requires static ch.qos.logback.core;
  requires static org.slf4j;
  requires static java.net.http;
  requires static java.sql;

  exports io.mintaro.spring.boot;
  // Spring creates the auto-configuration's beans and binds the properties by reflection.
  opens io.mintaro.spring.boot to spring.core, spring.beans, spring.context, spring.boot;
}
