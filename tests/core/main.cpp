#define BOOST_TEST_MODULE mixdown core
#include <boost/test/unit_test.hpp>
