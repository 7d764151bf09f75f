console.log("vendor: nothing yet")
