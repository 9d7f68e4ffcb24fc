from earcheck.cli import main

main()
