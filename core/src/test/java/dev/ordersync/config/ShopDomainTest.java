package dev.ordersync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopDomainTest {

  @Test
  void a_shop_is_named_by_its_myshopify_domain_in_lower_case() {
    assertThat(ShopDomain.of("my-store.myshopify.com").value()).isEqualTo("my-store.myshopify.com");
    assertThat(ShopDomain.parse("a1.myshopify.com")).contains(ShopDomain.of("a1.myshopify.com"));
    for (String not :
        new String[] {
          "My-Store.myshopify.com",
          "my-store.com",
          "my-store.myshopify.com.evil.com",
          "-store.myshopify.com",
          ".myshopify.com",
          "my store.myshopify.com",
          ""
        }) {
      assertThat(ShopDomain.parse(not)).as(not).isEmpty();
      assertThatThrownBy(() -> ShopDomain.of(not))
          .as(not)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("write it as name.myshopify.com");
    }
    assertThat(ShopDomain.parse(null)).isEmpty();
  }

  /** Printed, logged and written as JSON it is the plain domain, as before it had a type. */
  @Test
  void it_reads_as_the_plain_domain() throws Exception {
    ShopDomain shop = ShopDomain.of("a.myshopify.com");
    assertThat("shop " + shop).isEqualTo("shop a.myshopify.com");
    assertThat(new ObjectMapper().writeValueAsString(Map.of("shop", shop)))
        .isEqualTo("{\"shop\":\"a.myshopify.com\"}");
  }
}
