package io.mintaro.spring.boot;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.ConditionalGenericConverter;
import org.springframework.util.unit.DataSize;

/**
 * Binds the sizes marked {@link CoreSizeSyntax}: Spring's {@code 32MB} as Spring does, and
 * core's {@code 64k}, {@code 32m}, {@code 1g} (also {@code kib}, {@code mb}, in any case) in
 * binary units, as core does. It claims no other property.
 */
final class CoreSizeConverter implements ConditionalGenericConverter {
  private static final Pattern CORE = Pattern.compile("(\\d+)\\s*(k|kb|kib|m|mb|mib|g|gb|gib)");

  @Override
  public Set<ConvertiblePair> getConvertibleTypes() {
    return Set.of(new ConvertiblePair(String.class, DataSize.class));
  }

  @Override
  public boolean matches(TypeDescriptor sourceType, TypeDescriptor targetType) {
    return targetType.hasAnnotation(CoreSizeSyntax.class);
  }

  @Override
  public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
    String text = source == null ? "" : source.toString().trim();
    if (text.isEmpty()) {
      return null;
    }
    Matcher core = CORE.matcher(text.toLowerCase(Locale.ROOT));
    if (core.matches()) {
      long n = Long.parseLong(core.group(1));
      return switch (core.group(2).charAt(0)) {
        case 'k' -> DataSize.ofKilobytes(n);
        case 'm' -> DataSize.ofMegabytes(n);
        default -> DataSize.ofGigabytes(n);
      };
    }
    return DataSize.parse(text); // Spring's own syntax and its errors
  }
}
