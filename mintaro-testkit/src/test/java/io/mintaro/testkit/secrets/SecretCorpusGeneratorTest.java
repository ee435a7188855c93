package io.mintaro.testkit.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.testkit.secrets.SecretCorpus.Category;
import io.mintaro.testkit.secrets.SecretCorpus.Entry;
import io.mintaro.testkit.secrets.SecretCorpus.Place;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The corpus is deterministic, realistic in shape, and every secret in it can be searched for. */
class SecretCorpusGeneratorTest {
  private final List<Entry> corpus = SecretCorpus.generate(15);

  @Test
  void theSameSeedGivesTheSameCorpus_anotherSeedOtherSecrets() {
    assertThat(SecretCorpus.generate(15)).isEqualTo(corpus);
    List<String> other = SecretCorpus.generate(16).stream().flatMap(e -> e.secrets().stream()).toList();
    assertThat(other).doesNotContainAnyElementsOf(corpus.stream().flatMap(e -> e.secrets().stream()).toList());
  }

  @Test
  void everyCategoryHasEntries_idsAndNeighboursAreUnique() {
    System.out.println("corpus: " + corpus.size() + " entries, "
        + corpus.stream().collect(Collectors.groupingBy(Entry::category, Collectors.counting())));
    assertThat(corpus.stream().map(Entry::category).distinct()).containsExactlyInAnyOrder(Category.values());
    assertThat(corpus.stream().map(Entry::id)).doesNotHaveDuplicates();
    assertThat(corpus.stream().map(Entry::neighbour)).doesNotHaveDuplicates();
  }

  @Test
  void everySecretIsInWhatIsSent_andLongEnoughToBeSearchedForExactly() {
    for (Entry e : corpus) {
      assertThat(e.secrets()).as(e.id()).isNotEmpty();
      String sent = e.value();
      // a card's digits without their separators, a Basic header's password inside its base64
      String ungrouped = sent.replaceAll("[ +-]", "");
      String decoded = sent.startsWith("Basic ") ? new String(Base64.getDecoder().decode(sent.substring(6))) : "";
      for (String secret : e.secrets()) {
        assertThat(secret.length()).as(e.id()).isGreaterThanOrEqualTo(13);
        assertThat(sent.contains(secret) || ungrouped.contains(secret) || decoded.contains(secret))
            .as("%s sends %s", e.id(), secret).isTrue();
      }
    }
  }

  @Test
  void cardsPassLuhn_andJwtsAreThreeBase64UrlParts() {
    for (Entry e : corpus) {
      String name = e.category().name();
      if (name.startsWith("CARD_")) {
        String digits = e.secrets().stream().filter(s -> s.matches("\\d+")).findFirst().orElseThrow();
        assertThat(SecretCorpus.luhn(digits)).as(e.id() + " " + digits).isTrue();
        assertThat(digits.length()).isBetween(13, 19);
      }
      if (name.startsWith("JWT_")) {
        assertThat(e.secrets().get(0)).as(e.id()).matches("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
      }
    }
  }

  @Test
  void bodiesCarryTheirNeighbour_headersAndQueriesNameWhereTheirsGoes() {
    for (Entry e : corpus) {
      if (e.place() == Place.REQUEST_BODY || e.place() == Place.RESPONSE_BODY || e.place() == Place.LOG_MESSAGE
          || e.place() == Place.EXCEPTION_MESSAGE) {
        assertThat(e.value()).as(e.id()).contains(e.neighbour());
      } else {
        assertThat(e.neighbourName()).as(e.id()).isNotBlank();
      }
    }
  }
}
