package io.mintaro.spring.boot;

import io.mintaro.jdbc.MintaroDataSource;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Wraps every {@link DataSource} bean with {@link MintaroDataSource}: each statement run inside a
 * trace becomes a client span. The wrapper unwraps to the pool ({@code unwrap}), which is how
 * Boot's own health and metrics find it.
 */
final class DataSourceWrapping implements BeanPostProcessor {
  private final ObjectProvider<MintaroProperties> properties;

  DataSourceWrapping(ObjectProvider<MintaroProperties> properties) {
    this.properties = properties;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof DataSource dataSource) || bean instanceof MintaroDataSource) {
      return bean;
    }
    MintaroProperties.Jdbc jdbc = properties.getObject().getJdbc();
    List<String> redactFields = properties.getObject().getRedactFields();
    MintaroDataSource.Builder builder = MintaroDataSource.builder(dataSource);
    if (jdbc.getTriggerOnError() != null) {
      builder.triggerOnError(jdbc.getTriggerOnError());
    }
    if (jdbc.getCaptureParameters() != null) {
      builder.captureParameters(jdbc.getCaptureParameters());
    }
    try {
      if (jdbc.getMaxParameterLength() != null) {
        builder.maxParameterLength(jdbc.getMaxParameterLength());
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("mintaro.jdbc.max-parameter-length",
          jdbc.getMaxParameterLength(), e.getMessage());
    }
    try {
      if (redactFields != null && !redactFields.isEmpty()) {
        builder.redactParameters(redactFields.toArray(String[]::new));
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("mintaro.redact-fields", redactFields, e.getMessage());
    }
    return builder.build();
  }
}
