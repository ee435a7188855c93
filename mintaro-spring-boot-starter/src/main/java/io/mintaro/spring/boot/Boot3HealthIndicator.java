package io.mintaro.spring.boot;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * {@link MintaroHealth} for Boot 3's Actuator, whose {@code HealthIndicator} and {@code Health}
 * live in {@code org.springframework.boot.actuate.health} (Boot 4 moved them to
 * spring-boot-health). The starter is compiled against Boot 4, so this one indicator is built by
 * reflection: a proxy of Boot 3's interface that answers {@code health()}, registered with its
 * real type so that the Actuator finds it.
 */
final class Boot3HealthIndicator implements ImportBeanDefinitionRegistrar {
  static final String INDICATOR = "org.springframework.boot.actuate.health.HealthIndicator";
  private static final String HEALTH = "org.springframework.boot.actuate.health.Health";

  @Override
  @SuppressWarnings("unchecked")
  public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    if (registry.containsBeanDefinition("mintaroHealthIndicator") || !(registry instanceof BeanFactory beans)) {
      return;
    }
    ClassLoader loader = Boot3HealthIndicator.class.getClassLoader();
    Class<Object> type;
    try {
      type = (Class<Object>) ClassUtils.forName(INDICATOR, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return;
    }
    Supplier<Object> supplier = () -> create(type, beans.getBean(MintaroHealth.class));
    registry.registerBeanDefinition("mintaroHealthIndicator", new RootBeanDefinition(type, supplier));
  }

  static Object create(Class<?> indicator, MintaroHealth health) {
    try {
      Class<?> healthClass = ClassUtils.forName(HEALTH, indicator.getClassLoader());
      Method status = healthClass.getMethod("status", String.class);
      Method withDetails = status.getReturnType().getMethod("withDetails", Map.class);
      Method build = status.getReturnType().getMethod("build");
      InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
        case "health" -> method.getParameterCount() == 0
            ? build.invoke(withDetails.invoke(status.invoke(null, health.status()), health.details()))
            : InvocationHandler.invokeDefault(proxy, method, args);
        case "toString" -> "MintaroHealthIndicator";
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> InvocationHandler.invokeDefault(proxy, method, args);
      };
      return Proxy.newProxyInstance(indicator.getClassLoader(), new Class<?>[] {indicator}, handler);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Boot 3's Actuator is not what Mintaro expects", e);
    }
  }
}
