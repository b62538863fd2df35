# One file of unit tests per module owner, so modules grow without touching each other.
foreach(part core config db http mail app cluster)
  include(${CMAKE_CURRENT_LIST_DIR}/${part}.cmake OPTIONAL)
endforeach()
