#pragma once
// ember::nn: modules, containers, layers, init, functional and utils (torch.nn's names). Each layer family
// has its header under nn/modules/; add one include line here for a new one.
#include <ember/nn/functional.h>
#include <ember/nn/init.h>
#include <ember/nn/module.h>
#include <ember/nn/modules/activation.h>
#include <ember/nn/modules/container.h>
#include <ember/nn/modules/conv.h>
#include <ember/nn/modules/dropout.h>
#include <ember/nn/modules/flatten.h>
#include <ember/nn/modules/fold.h>
#include <ember/nn/modules/linear.h>
#include <ember/nn/modules/loss.h>
#include <ember/nn/modules/normalization.h>
#include <ember/nn/modules/padding.h>
#include <ember/nn/modules/pooling.h>
#include <ember/nn/modules/sparse.h>
#include <ember/nn/modules/upsampling.h>
#include <ember/nn/utils.h>
#include <ember/utils/checkpoint.h>
