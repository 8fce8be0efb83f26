#pragma once
// ember::nn::functional — torch.nn.functional's names (`namespace F = ember::nn::functional;`). Each
// family's header under nn/functional/ exposes the ops of include/ember/ops/ under these names, with
// PyTorch's functional signatures (plain default arguments, no options structs).
#include <ember/nn/functional/linear.h>
#include <ember/nn/functional/dropout.h>
#include <ember/nn/functional/pool.h>
#include <ember/nn/functional/resample.h>
#include <ember/nn/functional/norm.h>
#include <ember/nn/functional/activation.h>
#include <ember/nn/functional/loss.h>
#include <ember/nn/functional/conv.h>
