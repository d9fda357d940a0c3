"""xaso — xã số, the digital commune."""
