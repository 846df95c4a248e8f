//! weihua-alarm
