package io.mintaro.spring.boot.contract;

import io.mintaro.test.contract.HttpServerContract;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application with nothing but the starter meets the server contract: the contract's
 * app is a controller for every path, on Boot's embedded server. One application serves every
 * test; each test hands it its own app.
 */
class SpringMvcServerContractTest extends HttpServerContract {
  private static volatile App current;
  private static ConfigurableApplicationContext context;

  /**
   * Started before any test, as an application starts before its first request: the starter
   * installs its SDK as the global one, and follows test mode's when each test replaces it.
   */
  @BeforeAll
  static void startApplication() {
    context = SpringApplication.run(ContractApplication.class, "--server.port=0",
        "--spring.application.name=contract", "--spring.main.banner-mode=off", "--server.address=127.0.0.1");
  }

  @Override
  protected URI startServer(App app) {
    current = app;
    String port = context.getEnvironment().getProperty("local.server.port"); // set by Boot 3 and 4 alike
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  protected void stopServer() {
    current = null;
  }

  @AfterAll
  static void closeApplication() {
    if (context != null) {
      context.close();
      context = null;
    }
  }

  @SpringBootApplication
  static class ContractApplication {
  }

  /** The contract's app, as a controller of every path. */
  @RestController
  static class AppController {
    @RequestMapping("/**")
    void handle(HttpServletRequest req, HttpServletResponse resp) throws Exception {
      current.handle(new AppRequest() {
        public String method() { return req.getMethod(); }
        public String path() { return req.getRequestURI(); }
        public String query() { return req.getQueryString(); }
        public List<String> headers(String name) { return Collections.list(req.getHeaders(name)); }
        public byte[] body() throws IOException { return req.getInputStream().readAllBytes(); }
      }, new AppResponse() {
        public void status(int code) { resp.setStatus(code); }
        public void header(String name, String value) { resp.addHeader(name, value); }
        public void write(byte[] body) throws IOException { resp.getOutputStream().write(body); }
      });
    }
  }
}
