def tabbed():
	if True:
		return compute(1,
			2)
	else:
		return None


class T:
	def m(self):
		return self.tabbed()
