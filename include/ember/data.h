#pragma once
// ember::data, as torch.utils.data and torchvision's datasets and transforms.
#include <ember/data/collate.h>
#include <ember/data/dataloader.h>
#include <ember/data/dataset.h>
#include <ember/data/datasets.h>
#include <ember/data/sampler.h>
#include <ember/data/transforms.h>
#include <ember/data/worker.h>
