#pragma once
// Autocast tests compare an op run under autocast with the same op on inputs cast by hand: same dtype,
// same values, on any device.
#include <gtest/gtest.h>

#include <ember/ember.h>

inline ::testing::AssertionResult same(const ember::Tensor& got, const ember::Tensor& want) {
  if (got.dtype() != want.dtype())
    return ::testing::AssertionFailure() << "dtype " << got.dtype() << ", expected " << want.dtype();
  if (!got.sizes().equals(want.sizes()) || !ember::equal(got.cpu(), want.cpu()))
    return ::testing::AssertionFailure() << "values differ:\n" << got.cpu() << "\nexpected\n" << want.cpu();
  return ::testing::AssertionSuccess();
}
