import GongzhiWeb
print("hi")
