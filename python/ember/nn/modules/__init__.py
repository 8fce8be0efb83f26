"""ember.nn.modules: the layer classes, one file per family as in torch.nn.modules (re-exported by ember.nn)."""
