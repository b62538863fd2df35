#include <gtest/gtest.h>

#include "config/lists.hpp"
#include "config/settings.hpp"
#include "http/client_address.hpp"

namespace gh::http {
namespace {

const std::vector<std::string> kNginx{"127.0.0.1"};

TEST(ClientAddress, HeaderFromAnUntrustedPeerIsIgnored) {
  EXPECT_EQ(client_address("203.0.113.5", "198.51.100.1", kNginx), "203.0.113.5");
  EXPECT_EQ(client_address("203.0.113.5", "198.51.100.1", {}), "203.0.113.5");
}

TEST(ClientAddress, TrustedProxyNamesTheClient) {
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1", kNginx), "198.51.100.1");
  EXPECT_EQ(client_address("127.0.0.1", " 198.51.100.1 ", kNginx), "198.51.100.1");
}

TEST(ClientAddress, ForgedHopsLeftOfTheRealClientAreIgnored) {
  // The client sent "X-Forwarded-For: 10.9.9.9"; nginx appended the client's real address.
  EXPECT_EQ(client_address("127.0.0.1", "10.9.9.9, 198.51.100.1", kNginx), "198.51.100.1");
}

TEST(ClientAddress, ChainsOfTrustedProxiesAreWalked) {
  const std::vector<std::string> proxies{"127.0.0.1", "10.0.0.0/8"};
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1, 10.1.2.3", proxies), "198.51.100.1");
  EXPECT_EQ(client_address("10.200.0.7", "198.51.100.1", proxies), "198.51.100.1");
  EXPECT_EQ(client_address("11.0.0.1", "198.51.100.1", proxies), "11.0.0.1");
}

TEST(ClientAddress, GarbageStopsAtTheLastVouchedAddress) {
  EXPECT_EQ(client_address("127.0.0.1", "nonsense", kNginx), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1, unknown", kNginx), "127.0.0.1");
}

TEST(ClientAddress, MappedIpv4PeersCountAsIpv4) {
  EXPECT_EQ(client_address("::ffff:127.0.0.1", "198.51.100.1", kNginx), "198.51.100.1");
  EXPECT_EQ(client_address("::ffff:203.0.113.5", "", kNginx), "203.0.113.5");
}

TEST(ClientAddress, Ipv6Networks) {
  const std::vector<std::string> proxies{"fd00::/8"};
  EXPECT_EQ(client_address("fd12::1", "2001:db8::7", proxies), "2001:db8::7");
  EXPECT_EQ(client_address("fe80::1", "2001:db8::7", proxies), "fe80::1");
}

TEST(ClientAddress, ForwardedHopsWithPortsAreRead) {
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1:5678", kNginx), "198.51.100.1");
  EXPECT_EQ(client_address("127.0.0.1", "[2001:db8::1]:80", kNginx), "2001:db8::1");
  EXPECT_EQ(client_address("127.0.0.1", "[2001:db8::1]", kNginx), "2001:db8::1");
  EXPECT_EQ(client_address("127.0.0.1", "2001:db8::1", kNginx), "2001:db8::1");
  // A proxy's own hop with a port is walked past like any other.
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1:1, 127.0.0.1:80", kNginx), "198.51.100.1");
  for (const char* bad : {"[2001:db8::1", "[2001:db8::1]x", "198.51.100.1:", "[]:80"})
    EXPECT_EQ(client_address("127.0.0.1", bad, kNginx), "127.0.0.1") << bad;
}

TEST(AddressGroup, Ipv4IsTheAddressItself) {
  EXPECT_EQ(address_group("203.0.113.5", 64), "203.0.113.5");
  EXPECT_EQ(address_group("::ffff:203.0.113.5", 64), "203.0.113.5");
}

TEST(AddressGroup, Ipv6IsItsNetwork) {
  EXPECT_EQ(address_group("2001:db8:2:3::1", 64), "2001:db8:2:3::/64");
  EXPECT_EQ(address_group("2001:db8:2:3:ffff:1:2:3", 64), "2001:db8:2:3::/64");
  EXPECT_NE(address_group("2001:db8:2:4::1", 64), address_group("2001:db8:2:3::1", 64));
  EXPECT_EQ(address_group("2001:db8:2:3::1", 48), "2001:db8:2::/48");
  EXPECT_EQ(address_group("2001:db8:2:3::1", 128), "2001:db8:2:3::1/128");
}

TEST(AddressGroup, TrustedProxiesAreRecognised) {
  const std::vector<std::string> proxies{"127.0.0.1", "fd00::/8"};
  EXPECT_TRUE(is_trusted_proxy("127.0.0.1", proxies));
  EXPECT_TRUE(is_trusted_proxy("::ffff:127.0.0.1", proxies));
  EXPECT_TRUE(is_trusted_proxy("fd12::1", proxies));
  EXPECT_FALSE(is_trusted_proxy("127.0.0.2", proxies));
  EXPECT_FALSE(is_trusted_proxy("127.0.0.1", {}));
}

TEST(TrustedProxiesSetting, AcceptsAddressesAndNetworks) {
  auto list =
      config::detail::parse_addresses("TRUSTED_PROXIES", "127.0.0.1, 172.16.0.0/12, fd00::/8");
  EXPECT_EQ(list, (std::vector<std::string>{"127.0.0.1", "172.16.0.0/12", "fd00::/8"}));
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "fd00::/129", "nginx", "10.0.0.0/x"}) {
    EXPECT_THROW(config::detail::parse_addresses("TRUSTED_PROXIES", bad), config::ConfigError)
        << bad;
  }
}

}  // namespace
}  // namespace gh::http
