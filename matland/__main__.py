from matland.launch import main

main()
