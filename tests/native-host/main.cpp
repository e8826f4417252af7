#define BOOST_TEST_MODULE mixdown command line
#include <boost/test/unit_test.hpp>
