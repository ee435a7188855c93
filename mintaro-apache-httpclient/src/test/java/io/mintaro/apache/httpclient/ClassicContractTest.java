package io.mintaro.apache.httpclient;

import io.mintaro.test.contract.HttpClientContract;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterEach;

/** The client contract with the classic, blocking client. */
class ClassicContractTest extends HttpClientContract {
  /** HttpCore refuses header lines over 8 KiB by default; the contract's hostile header is 16 KiB. */
  static final Http1Config LONG_LINES = Http1Config.custom().setMaxLineLength(64 * 1024).build();

  final CloseableHttpClient client = MintaroHttpClient5.classic(HttpClients.custom()
      .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
          .setConnectionFactory(ManagedHttpClientConnectionFactory.builder().http1Config(LONG_LINES).build())
          .build()))
      .build();

  @AfterEach
  void closeClient() throws IOException {
    client.close();
  }

  @Override
  protected Response send(String method, URI uri, Map<String, String> headers, byte[] body) throws Exception {
    ClassicRequestBuilder request = ClassicRequestBuilder.create(method).setUri(uri);
    String contentType = null;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase("Content-Type")) {
        contentType = header.getValue(); // an application gives it to its entity
      } else {
        request.addHeader(header.getKey(), header.getValue());
      }
    }
    if (body != null) {
      request.setEntity(new ByteArrayEntity(body, contentType == null ? null : ContentType.parse(contentType)));
    }
    return client.execute(request.build(), ClassicContractTest::response);
  }

  @Override
  protected void sendWithTimeout(URI uri, Duration timeout) throws Exception {
    RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build();
    HttpGet get = new HttpGet(uri);
    get.setConfig(config);
    client.execute(get, ClassicContractTest::response);
  }

  static Response response(ClassicHttpResponse response) throws IOException {
    return new Response(response.getCode(), headers(response.getHeaders()),
        response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity()));
  }

  static Map<String, List<String>> headers(Header[] headers) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Header header : headers) {
      out.computeIfAbsent(header.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(header.getValue());
    }
    return out;
  }
}
