#pragma once
// The umbrella header: everything of ember's public C++ API.
#include <ember/autograd/engine.h>
#include <ember/autograd/grad_mode.h>
#include <ember/autograd/gradcheck.h>
#include <ember/autograd/meta.h>
#include <ember/autograd/node.h>
#include <ember/core/parallel.h>
#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>
#include <ember/tensor.h>
