// Header fields on the recycling allocator: every value intact through inserts, erases and
// reuse, whatever its size, and blocks freed on another thread than the one that made them.
#include "http/field_allocator.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "http/request.hpp"

namespace gh::http {
namespace {

std::string value_of(int i) {
  return std::string(static_cast<std::size_t>(i * 37 % 600), static_cast<char>('a' + i % 26));
}

std::string name_of(int i) {
  return "X-Field-" + std::to_string(i);
}

TEST(FieldAllocator, FieldsKeepTheirValuesThroughReuse) {
  for (int round = 0; round < 3; ++round) {
    Response res;
    for (int i = 0; i < 60; ++i) res.set(name_of(i), value_of(i + round));
    for (int i = 0; i < 60; i += 2) res.erase(name_of(i));
    for (int i = 60; i < 90; ++i) res.set(name_of(i), value_of(i + round));  // into freed blocks
    for (int i = 0; i < 90; ++i) {
      const auto found = res.find(name_of(i));
      if (i < 60 && i % 2 == 0) {
        EXPECT_EQ(found, res.end()) << name_of(i);
      } else {
        ASSERT_NE(found, res.end()) << name_of(i);
        EXPECT_EQ(std::string(found->value()), value_of(i + round)) << name_of(i);
      }
    }
  }
}

TEST(FieldAllocator, BlocksFreedOnAnotherThreadAreReusedSafely) {
  for (int round = 0; round < 50; ++round) {
    Response made;
    for (int i = 0; i < 20; ++i) made.set(name_of(i), value_of(i));
    std::thread([moved = std::move(made)]() mutable { moved = Response{}; }).join();
  }
  Response here;
  for (int i = 0; i < 20; ++i) here.set(name_of(i), value_of(i));
  EXPECT_EQ(std::string(here[name_of(7)]), value_of(7));
}

TEST(FieldAllocator, AllocatorsAreInterchangeable) {
  const FieldAllocator<char> a;
  const FieldAllocator<int> b;
  EXPECT_TRUE(a == b);
  int* block = FieldAllocator<int>{}.allocate(3);
  block[0] = 1;
  block[2] = 3;
  FieldAllocator<int>{}.deallocate(block, 3);
}

}  // namespace
}  // namespace gh::http
