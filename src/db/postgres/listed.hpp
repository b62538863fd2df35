#pragma once
// A waiting coroutine's place in a list of waiters (the pool's queue, a shared probe's
// followers). It leaves the list however the wait ends, also when the io_context destroys
// the waiting coroutine at shutdown, so no pointer to a dead waiter stays behind; unless
// whoever woke it has taken it off already (then `taken_off` is true).
#include <list>

namespace gh::db::postgres {

template <class T>
class Listed {
 public:
  Listed(std::list<T*>& list, T& entry, const bool& taken_off)
      : list_(list), taken_off_(taken_off), position_(list.insert(list.end(), &entry)) {}
  ~Listed() {
    if (!taken_off_) list_.erase(position_);
  }
  Listed(const Listed&) = delete;
  Listed& operator=(const Listed&) = delete;

 private:
  std::list<T*>& list_;
  const bool& taken_off_;
  typename std::list<T*>::iterator position_;
};

}  // namespace gh::db::postgres
