// Open connections per client address, against MAX_CONNECTIONS_PER_ADDRESS.
#include "http/address_slots.hpp"

#include <gtest/gtest.h>

namespace gh::http {
namespace {

TEST(AddressSlots, AnAddressHoldsNoMoreThanItsShare) {
  AddressSlots slots(2);
  EXPECT_TRUE(slots.take("203.0.113.5"));
  EXPECT_TRUE(slots.take("203.0.113.5"));
  EXPECT_FALSE(slots.take("203.0.113.5"));
  EXPECT_TRUE(slots.take("2001:db8:2:3::/64"));  // another address has its own
  slots.release("203.0.113.5");
  EXPECT_TRUE(slots.take("203.0.113.5"));
}

TEST(AddressSlots, NothingIsKeptForAddressesWithNoConnection) {
  AddressSlots slots(2);
  ASSERT_TRUE(slots.take("203.0.113.5"));
  ASSERT_TRUE(slots.take("198.51.100.1"));
  slots.release("203.0.113.5");
  slots.release("198.51.100.1");
  EXPECT_EQ(slots.addresses(), 0U);
}

TEST(AddressSlots, ZeroMeansNoCap) {
  AddressSlots slots(0);
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(slots.take("203.0.113.5"));
  EXPECT_EQ(slots.addresses(), 0U);
}

}  // namespace
}  // namespace gh::http
